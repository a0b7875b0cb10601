"""Uploaded files, kept no larger than an import may be.

Django writes an upload to a temporary file as it arrives, whatever its size; an import
refuses a file past settings.ANNOTATOR_MAX_IMPORT_BYTES anyway, so the bytes past that limit
are counted and dropped as they arrive. The upload still reaches the view, as a file that
only knows its size, and the import refuses it by that size like any other file too large.
Uploads are read from their temporary files and never stored under a URL that serves them.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedStream(io.RawIOBase):
    """An upload dropped for its size: it says how long it was and holds none of it."""

    def __init__(self, size: int):
        self._size, self._position = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return 0

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes each file's bytes on to the next handler (memory
    or temporary file) until the file is larger than an import may be, then none of them."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ANNOTATOR_MAX_IMPORT_BYTES:
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.ANNOTATOR_MAX_IMPORT_BYTES:
            return None  # the next handler makes the file
        return UploadedFile(
            file=OversizedStream(self.received),
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
