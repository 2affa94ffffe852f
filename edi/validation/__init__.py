"""The parts of directory-driven validation; :mod:`edi.validate` is the entry point."""
