import io

from annotator.uploads import SizeLimitedUploadHandler


def receive(handler, size: int, chunk: int = 64 * 1024) -> list[int]:
    """Feed `size` bytes through the handler as Django does; what it passes on, a chunk each."""
    handler.new_file("files", "big.txt", "text/plain", size)
    passed, start = [], 0
    while start < size:
        data = b"x" * min(chunk, size - start)
        out = handler.receive_data_chunk(data, start)
        passed.append(len(out) if out is not None else 0)
        start += len(data)
    return passed


def test_bytes_past_the_limit_are_dropped_as_they_arrive(settings):
    settings.ANNOTATOR_MAX_IMPORT_BYTES = 200 * 1024
    handler = SizeLimitedUploadHandler()
    passed = receive(handler, 1024 * 1024)
    assert sum(passed) <= 200 * 1024  # the next handler (memory or disk) never got the rest
    upload = handler.file_complete(1024 * 1024)
    assert upload.name == "big.txt" and upload.size == 1024 * 1024
    stream = upload.file
    assert stream.seek(0, io.SEEK_END) == 1024 * 1024 and stream.read() == b""


def test_a_file_within_the_limit_is_left_to_the_next_handler(settings):
    settings.ANNOTATOR_MAX_IMPORT_BYTES = 200 * 1024
    handler = SizeLimitedUploadHandler()
    assert sum(receive(handler, 200 * 1024)) == 200 * 1024
    assert handler.file_complete(200 * 1024) is None


def test_each_file_of_an_upload_is_counted_on_its_own(settings):
    settings.ANNOTATOR_MAX_IMPORT_BYTES = 100
    handler = SizeLimitedUploadHandler()
    receive(handler, 500, chunk=50)
    assert handler.file_complete(500) is not None
    assert sum(receive(handler, 100, chunk=50)) == 100
    assert handler.file_complete(100) is None
