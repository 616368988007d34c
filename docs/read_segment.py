#!/usr/bin/env python3
"""Print the committed records of a Herz segment file (layout version 3).

Written from docs/LAYOUT.md alone, as a check that the document is enough to read a segment. A passive reader: it
maps the file read-only and writes nothing, so it never consumes or releases records. On a live segment it prints a
snapshot that producers and the consumer may be changing underneath (see "As a passive reader" in LAYOUT.md).

Usage: read_segment.py SEGMENT_FILE

Output, one item per line:
  segment path=P capacity=C maxRecordLength=M producerSlotCount=S counterCount=N headerLength=H head=X tail=Y
  (head: the slowest registered consumer's position, or basePosition when none is registered)
  consumer slot=I name=N pid=P pidNamespace=NS position=X recordsConsumed=R                (one per registered name)
  producer slot=I pid=P pidNamespace=NS producerId=D recordsOffered=R bytesOffered=B backPressureCount=K
                                                                                           (one per owned slot)
  (pidNamespace: the owner's pid namespace inode as recorded, unsigned; 0 = not recorded)
  record position=P offset=O type=T payloadLength=L payload=HEX                              (one per record)
  end position=P                                     (walked up to the committed end: the tail, or the end of
                                                     an exclusive producer's commit its tail does not cover yet)
  stop position=P reason=uncommitted length=L        (a record not committed yet: length 0, the clean word of
                                                     its lap; a negative length, which version 3 never writes,
                                                     stops the walk too, as the Java consumer stops there)
Exit status: 0 on success, 2 for a file that is not a valid segment or holds a corrupt record (message on stderr).
"""

import mmap
import os
import stat
import struct
import sys

MAGIC = 0x5A524548
LAYOUT_VERSION = 3
MIN_CAPACITY = 1024
MAX_CAPACITY = 1 << 30
MAX_PRODUCER_SLOTS = 4096
MAX_COUNTERS = 4096
HEADER_ALIGNMENT = 4096
CONSUMER_SLOTS_OFFSET = 512
CONSUMER_SLOT_COUNT = 16
CONSUMER_SLOT_COUNT_OFFSET = 28
PRODUCER_SLOTS_OFFSET = 2560
SLOT_LENGTH = 128
MAX_NAME_LENGTH = 64
COUNTER_METADATA_LENGTH = 512
COUNTER_VALUE_LENGTH = 128
TAIL_POSITION_OFFSET = 128
CLEAN_POSITION_OFFSET = 256
EXCLUSIVE_PRODUCER_TOKEN_OFFSET = 392
BASE_POSITION_OFFSET = 400
CONSUMER_PID_NAMESPACES_OFFSET = 440
FILE_LENGTH_OFFSET = 56
RECORD_HEADER_LENGTH = 8
RECORD_ALIGNMENT = 8
PADDING_TYPE_ID = -1
FLAG_EXCLUSIVE = 1


class BadSegment(Exception):
    pass


def align(value, alignment):
    return (value + alignment - 1) & ~(alignment - 1)


def header_length(slots, counters):
    metadata = PRODUCER_SLOTS_OFFSET + SLOT_LENGTH * slots
    values = metadata + COUNTER_METADATA_LENGTH * counters
    return align(values + COUNTER_VALUE_LENGTH * counters, HEADER_ALIGNMENT)


def read(buffer, fmt, offset, what):
    """Bounded read: unpack fmt at offset, or raise BadSegment naming what was read (never struct.error).

    The file may be shorter than its header says, or change size under a passive reader; every read of the file
    goes through here."""
    size = struct.calcsize(fmt)
    if offset < 0 or offset + size > len(buffer):
        raise BadSegment(f"segment truncated or corrupt: reading {what} needs bytes {offset}..{offset + size} "
                         f"but the file has {len(buffer)}")
    return struct.unpack_from(fmt, buffer, offset)


def int32(buffer, offset, what="a 4-byte field"):
    return read(buffer, "<i", offset, what)[0]


def int64(buffer, offset, what="an 8-byte field"):
    return read(buffer, "<q", offset, what)[0]


def check_file(path):
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise BadSegment(f"{path}: segment is a symbolic link: expected a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise BadSegment(f"{path}: segment is not a regular file: expected a regular file")
    minimum = header_length(1, 0) + MIN_CAPACITY
    if info.st_size < minimum:
        raise BadSegment(f"{path}: file too small to be a segment: expected at least {minimum} bytes, "
                         f"found {info.st_size}")


def check_header(path, buf):
    magic = int32(buf, 0) & 0xFFFFFFFF
    if magic != MAGIC:
        raise BadSegment(f"{path}: not a Herz segment, magic mismatch: expected 0x{MAGIC:x}, found 0x{magic:x}")
    version = int32(buf, 4)
    if version != LAYOUT_VERSION:
        raise BadSegment(f"{path}: unsupported layout version: expected {LAYOUT_VERSION}, found {version}")
    capacity, max_record, slots, counters, header = read(buf, "<5i", 8, "the geometry fields")
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY or capacity & (capacity - 1):
        raise BadSegment(f"{path}: bad capacity: expected a power of two in {MIN_CAPACITY}..{MAX_CAPACITY}, "
                         f"found {capacity}")
    if not 1 <= max_record <= capacity // 4 - RECORD_HEADER_LENGTH:
        raise BadSegment(f"{path}: maxRecordLength out of range: found {max_record}")
    if not 1 <= slots <= MAX_PRODUCER_SLOTS:
        raise BadSegment(f"{path}: producerSlotCount out of range: found {slots}")
    if not 0 <= counters <= MAX_COUNTERS:
        raise BadSegment(f"{path}: counterCount out of range: found {counters}")
    consumer_slots = int32(buf, CONSUMER_SLOT_COUNT_OFFSET)
    if consumer_slots != CONSUMER_SLOT_COUNT:
        raise BadSegment(f"{path}: consumerSlotCount mismatch: expected {CONSUMER_SLOT_COUNT}, found {consumer_slots}")
    expected_header = header_length(slots, counters)
    if header != expected_header:
        raise BadSegment(f"{path}: header length mismatch: expected {expected_header}, found {header}")
    expected_size = header + capacity
    if len(buf) != expected_size or int64(buf, FILE_LENGTH_OFFSET) != expected_size:
        raise BadSegment(f"{path}: file length mismatch: expected {expected_size} bytes, found {len(buf)} "
                         f"(recorded {int64(buf, FILE_LENGTH_OFFSET)})")
    return capacity, max_record, slots, counters, header


def print_producers(buf, slots):
    for slot in range(slots):
        base = PRODUCER_SLOTS_OFFSET + SLOT_LENGTH * slot
        if int64(buf, base) == 0:
            continue
        pid = int64(buf, base + 8)
        records, payload_bytes, back_pressure = read(buf, "<3q", base + 56, f"producer slot {slot} counters")
        producer_id = int32(buf, base + 88)
        namespace = int32(buf, base + 96) & 0xFFFFFFFF
        print(f"producer slot={slot} pid={pid} pidNamespace={namespace} producerId={producer_id} "
              f"recordsOffered={records} "
              f"bytesOffered={payload_bytes} backPressureCount={back_pressure}")


def consumers(path, buf):
    """Registered consumer slots: (slot, name, pid, pidNamespace, position, recordsConsumed), in slot order."""
    found = []
    for slot in range(CONSUMER_SLOT_COUNT):
        base = CONSUMER_SLOTS_OFFSET + SLOT_LENGTH * slot
        if int32(buf, base) != 1:
            continue
        name_length = int32(buf, base + 4)
        if not 1 <= name_length <= MAX_NAME_LENGTH:
            raise BadSegment(f"{path}: corrupt consumer nameLength in consumer slot {slot}: expected "
                             f"1..{MAX_NAME_LENGTH}, found {name_length}")
        name = bytes(buf[base + 64:base + 64 + name_length]).decode("ascii", errors="replace")
        namespace = int32(buf, CONSUMER_PID_NAMESPACES_OFFSET + 4 * slot) & 0xFFFFFFFF
        found.append((slot, name, int64(buf, base + 16), namespace, int64(buf, base + 40), int64(buf, base + 48)))
    return found


def head_position(path, buf):
    """The slowest registered consumer's position, or basePosition when none is registered."""
    positions = [position for (_, _, _, _, position, _) in consumers(path, buf)]
    return min(positions) if positions else int64(buf, BASE_POSITION_OFFSET)


def check_positions(path, head, tail, capacity):
    """Positions are byte counts that never wrap: both >= 0 and aligned, the tail at most a capacity ahead."""
    for name, value in (("headPosition", head), ("tailPosition", tail)):
        if value < 0 or value % RECORD_ALIGNMENT:
            raise BadSegment(f"{path}: corrupt {name}: expected a position >= 0 and a multiple of "
                             f"{RECORD_ALIGNMENT}, found {value}")
    if not head <= tail <= head + capacity:
        raise BadSegment(f"{path}: corrupt positions: expected head <= tail <= head + capacity ({capacity}), "
                         f"found head={head} tail={tail}")


def committed_end(buf, tail, slots, capacity):
    """The tail, or while the exclusive producer's intent is at the tail (its commit writes the gate before the
    tail), the end of that intent: a consumer may have read up to there (LAYOUT.md, "Segment header")."""
    token = int64(buf, EXCLUSIVE_PRODUCER_TOKEN_OFFSET)
    if token == 0:
        return tail
    for slot in range(slots):
        base = PRODUCER_SLOTS_OFFSET + SLOT_LENGTH * slot
        if int64(buf, base) == token and int32(buf, base + 92) & FLAG_EXCLUSIVE:
            claim_position = int64(buf, base + 32)
            claim_length = int64(buf, base + 40)
            if claim_position == tail and 0 < claim_length <= capacity // 2:
                return tail + claim_length
            return tail
    return tail


def walk(path, buf, capacity, max_record, data, slots):
    mask = capacity - 1
    position = head_position(path, buf)  # head first: it never passes the committed end read after it
    tail = int64(buf, TAIL_POSITION_OFFSET)
    clean = int64(buf, CLEAN_POSITION_OFFSET)
    end = committed_end(buf, tail, slots, capacity)
    check_positions(path, position, end, capacity)
    if not tail <= clean <= position + capacity:
        raise BadSegment(f"{path}: corrupt cleanPosition: expected {tail}..{position + capacity}, found {clean}")
    while position < end:  # a header is read only below cleanPosition (end <= clean): never a stale lap
        offset = position & mask
        length, type_id = read(buf, "<ii", data + offset, f"the record header at position {position}")
        if length <= 0:
            print(f"stop position={position} reason=uncommitted length={length}")
            return
        aligned = align(length, RECORD_ALIGNMENT)
        limit = capacity - offset if type_id == PADDING_TYPE_ID else min(capacity - offset,
                                                                         max_record + RECORD_HEADER_LENGTH)
        if (length < RECORD_HEADER_LENGTH or length > limit or offset + aligned > capacity
                or (type_id < 1 and type_id != PADDING_TYPE_ID)):
            raise BadSegment(f"{path}: corrupt record header: found length={length} type={type_id} "
                             f"position={position} offset={offset}")
        if type_id != PADDING_TYPE_ID:
            start = data + offset + RECORD_HEADER_LENGTH
            payload = buf[start:data + offset + length]
            print(f"record position={position} offset={offset} type={type_id} "
                  f"payloadLength={length - RECORD_HEADER_LENGTH} payload={payload.hex()}")
        position += aligned
    print(f"end position={position}")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = os.path.abspath(argv[1])
    try:
        check_file(path)
        with open(path, "rb") as file:
            try:
                buf = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError as ex:  # emptied since check_file: mmap refuses an empty file
                raise BadSegment(f"{path}: file too small to be a segment: {ex}") from ex
        try:
            capacity, max_record, slots, counters, header = check_header(path, buf)
            print(f"segment path={path} capacity={capacity} maxRecordLength={max_record} producerSlotCount={slots} "
                  f"counterCount={counters} headerLength={header} head={head_position(path, buf)} "
                  f"tail={int64(buf, TAIL_POSITION_OFFSET)}")
            for slot, name, pid, namespace, position, consumed in consumers(path, buf):
                print(f"consumer slot={slot} name={name} pid={pid} pidNamespace={namespace} position={position} "
                      f"recordsConsumed={consumed}")
            print_producers(buf, slots)
            walk(path, buf, capacity, max_record, header, slots)
        finally:
            buf.close()
    except (BadSegment, OSError) as ex:
        message = str(ex)
        print(message if message.startswith(path) else f"{path}: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
