"""The UN/EDIFACT directories: compiled from the UN's data by :mod:`.build`, loaded by :mod:`.load`.

>>> from edi.directory import load_directory, directory_for
>>> directory_for("CODECO", "D", "95B", "UN").message("CODECO")
"""

from edi.directory.load import (
    Composite,
    Directory,
    Group,
    Node,
    Simple,
    available_directories,
    directory_for,
    directory_name,
    load_directory,
    service_directory,
)

__all__ = [
    "Composite",
    "Directory",
    "Group",
    "Node",
    "Simple",
    "available_directories",
    "directory_for",
    "directory_name",
    "load_directory",
    "service_directory",
]
