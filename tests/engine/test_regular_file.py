"""Only regular files are read: a named pipe, a device, a socket or a folder is refused at
once with a message naming what it is, never waited on or read without end."""

from __future__ import annotations

import os
import socket
import stat

import pytest

from backprop_gui.engine.projectfile import ProjectFileError, dumps_project, load_project
from backprop_gui.engine.regular_file import (
    FileTooLargeError, NotRegularFileError, read_regular_file)
from backprop_gui.session.session import default_project


def test_a_named_pipe_is_refused_at_once_instead_of_waiting_for_a_writer(tmp_path, no_hang):
    fifo = tmp_path / "shared.bpnet"
    os.mkfifo(fifo)
    with pytest.raises(ProjectFileError) as e:
        load_project(fifo)
    assert str(e.value) == f"“{fifo}” is not a regular file (it is a named pipe)"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_without_reading_it(device, no_hang):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    with pytest.raises(ProjectFileError, match=r"is not a regular file \(it is a device\)"):
        load_project(device)


def test_a_folder_is_refused_by_name(tmp_path, no_hang):
    with pytest.raises(ProjectFileError,
                       match=r"is not a regular file \(it is a folder\)$"):
        load_project(tmp_path)


def test_a_socket_is_refused(tmp_path, no_hang):
    path = tmp_path / "s.bpnet"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        server.listen(1)
        with pytest.raises(ProjectFileError, match=r"is not a regular file \(it is a socket\)"):
            load_project(path)
    finally:
        server.close()


def test_a_symbolic_link_to_a_project_opens_and_one_to_a_pipe_does_not(tmp_path, no_hang):
    real = tmp_path / "real.bpnet"
    real.write_text(dumps_project(default_project()), encoding="utf-8")
    (tmp_path / "link.bpnet").symlink_to(real)
    assert load_project(tmp_path / "link.bpnet").network.sizes == [16, 6, 6, 2]
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "pipe-link.bpnet").symlink_to(tmp_path / "pipe")
    with pytest.raises(ProjectFileError, match="named pipe"):
        load_project(tmp_path / "pipe-link.bpnet")


def test_a_pipe_swapped_in_after_the_check_is_still_refused(tmp_path, monkeypatch, no_hang):
    # Between the stat and the open the path may change; the check after opening catches it.
    fifo = tmp_path / "swapped.bpnet"
    os.mkfifo(fifo)
    real_stat = os.stat

    class LooksRegular:
        st_mode = stat.S_IFREG | 0o644

    from backprop_gui.engine import regular_file
    monkeypatch.setattr(regular_file.os, "stat",
                        lambda p, *a, **k: LooksRegular if os.fspath(p) == str(fifo)
                        else real_stat(p, *a, **k))
    with pytest.raises(NotRegularFileError, match="named pipe"):
        read_regular_file(fifo, 100)


def test_reading_returns_the_bytes_and_stops_past_the_limit(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_regular_file(path, 100) == b"x" * 100
    with pytest.raises(FileTooLargeError) as e:
        read_regular_file(path, 99)
    assert e.value.size == 100
