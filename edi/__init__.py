"""The EDI/XML translation layer: detect, parse, validate, map, acknowledge, emit."""
