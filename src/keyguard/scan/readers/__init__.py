"""Readers: what to match in an input, behind one ``Reader`` Protocol (``_base``).

``plain`` (files, streams, bytes in memory), ``archive`` (zip members), ``sqlite`` (editor
databases, a value at a time), ``decoded`` (credential files' decoded views), ``escapes``
(JSON-escaped text around each escape).  Which input gets which reader is the ``reader`` of
its row in ``keyguard.formats.kinds``.
"""
