"""RFID at the gates: readers, tag reads, EPC decoding, gate transactions and decisions."""
