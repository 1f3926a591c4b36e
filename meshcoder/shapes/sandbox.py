"""The Linux sandbox a Blender worker puts itself in (worker side; Linux only, degrades elsewhere).

Layers, in the order :mod:`meshcoder.shapes.worker` applies them:

1. **Namespaces** (:func:`enter_namespaces`): a new user namespace (no capability reaches outside it),
   PID namespace (the worker is its init: when it dies the kernel kills every process left in it, a
   ``setsid`` grandchild included, and no process outside can be named, so none can be signalled or
   traced), mount namespace (a private ``/proc`` and a size-capped tmpfs scratch folder) and, on
   request, network namespace (only a loopback device). A small reaper process stays outside the PID
   namespace, waits for the worker and exits the way it did.
2. **Landlock** (:func:`restrict_filesystem`): after Blender has started, the worker may read only the
   folders Python and Blender load from and write only its scratch folder; signals and abstract Unix
   sockets cannot reach outside the sandbox; TCP bind and connect are refused.
3. **seccomp** (:func:`forbid_new_processes`, through ``pyseccomp``): no fork, exec, ptrace, namespace
   or mount calls and no sockets; threads may still be created (Blender and numpy use them).
4. **Capabilities** (:func:`drop_capabilities`): the namespace root gives up every capability.

Every step reports what held as a short string, so ``ExecutorPool.sandbox`` says what a machine gave.
None needs root: an unprivileged user namespace, a kernel with Landlock (5.13+, signal scoping 6.12+)
and libseccomp are enough. Where one is missing the others still hold.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import signal
import sys
from collections.abc import Iterable

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REC, _MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000
_MNT_DETACH = 2

# Landlock's system calls have the same numbers on every architecture.
_SYS_LANDLOCK_CREATE_RULESET, _SYS_LANDLOCK_ADD_RULE, _SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
# File-system access rights and the Landlock ABI version that introduced each.
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_ABI1 = (1 << 13) - 1  # execute ... make_sym
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1, 2
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1, 2
#: Rights that Landlock accepts on a rule for a single (non-directory) file.
_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV

#: Devices any process expects to open; nothing on them leaks or persists.
_DEVICES_READ = ("/dev/urandom", "/dev/random", "/dev/zero")
_DEVICES_WRITE = ("/dev/null",)
#: System folders holding shared libraries and data Blender may load lazily (never /etc or /home).
_SYSTEM_READ = ("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/usr/share/fonts")


def _libc() -> ctypes.CDLL:
    # The process's own symbols hold libc's; find_library would run ldconfig in a subprocess.
    return ctypes.CDLL(None, use_errno=True)


def _errno_text() -> str:
    return os.strerror(ctypes.get_errno())


# ------------------------------------------------------------------------------------ namespaces
def enter_namespaces(isolate_network: bool, scratch: str) -> str:
    """Move into new namespaces and fork: only the child (init of the new PID namespace) returns.

    The parent stays behind as a reaper: it drops the protocol pipes, waits for the child, removes
    ``scratch`` and exits as the child did (the same status or signal), so the pool sees the worker's
    own fate. The child is killed by the kernel if the reaper dies. Returns what held.
    """
    if not sys.platform.startswith("linux"):
        return f"unavailable on {sys.platform}"
    libc = _libc()
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWPID | CLONE_NEWNS | (CLONE_NEWNET if isolate_network else 0)
    if libc.unshare(CLONE_NEWUSER | flags) == 0:
        # Root inside maps to the caller's own user outside: no capability reaches the host.
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
        held = "user, pid, mount" + (", net" if isolate_network else "")
    elif isolate_network and libc.unshare(CLONE_NEWNET) == 0:
        return f"net only (user namespaces refused: {_errno_text()})"
    else:
        return f"unavailable ({_errno_text()})"
    child = os.fork()
    if child:
        _reap(child, scratch)  # never returns
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    return held


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def _reap(child: int, scratch: str) -> None:
    """The reaper's whole life: let go of the pipes, wait, clean up, exit as the child did."""
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the protocol pipes: the caller must see EOF
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: os.kill(child, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            status = 0
            break
        except InterruptedError:
            continue
    _libc().umount2(scratch.encode(), _MNT_DETACH)  # the tmpfs, where mount_private put one
    shutil.rmtree(scratch, ignore_errors=True)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.waitstatus_to_exitcode(status) if not os.WIFSIGNALED(status) else 1)


def mount_private(scratch: str, scratch_bytes: int) -> str:
    """In the child's mount namespace: a /proc that shows only this PID namespace and a size-capped
    tmpfs over ``scratch`` (files written there never reach the host's disk). Returns what held."""
    libc = _libc()
    held = []
    if libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return f"unavailable ({_errno_text()})"
    if libc.mount(b"proc", b"/proc", b"proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC, None) == 0:
        held.append("private /proc")
    options = f"size={int(scratch_bytes)},mode=0700".encode()
    if libc.mount(b"tmpfs", scratch.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC, options) == 0:
        held.append(f"tmpfs scratch ({scratch_bytes >> 20} MiB)")
    return ", ".join(held) or f"none ({_errno_text()})"


# -------------------------------------------------------------------------------------- Landlock
class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0 where it has none)."""
    if not sys.platform.startswith("linux"):
        return 0
    version = _libc().syscall(
        _SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), _LANDLOCK_CREATE_RULESET_VERSION
    )
    return max(0, int(version))


def restrict_filesystem(read: Iterable[str], write: Iterable[str]) -> str:
    """Landlock this process: read only under ``read``, read and write only under ``write``; no
    signals or abstract sockets out of the sandbox and no TCP (where the ABI has them)."""
    abi = landlock_abi()
    if abi < 1:
        return f"unavailable ({_errno_text()})"
    fs = _FS_ABI1 | (_FS_REFER if abi >= 2 else 0) | (_FS_TRUNCATE if abi >= 3 else 0)
    fs |= _FS_IOCTL_DEV if abi >= 5 else 0
    attr = _RulesetAttr(fs, _NET_BIND_TCP | _NET_CONNECT_TCP if abi >= 4 else 0, 0)
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    libc = _libc()
    ruleset = libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        return f"unavailable ({_errno_text()})"
    try:
        read_rights = _FS_READ_FILE | _FS_READ_DIR
        for path in read:
            _add_path_rule(libc, ruleset, path, read_rights)
        for path in write:
            _add_path_rule(libc, ruleset, path, fs)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return f"not applied (no_new_privs: {_errno_text()})"
        if libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            return f"not applied ({_errno_text()})"
    finally:
        os.close(ruleset)
    scoped = ", signals and abstract sockets scoped" if abi >= 6 else ""
    return f"landlock ABI {abi}{scoped}"


def _add_path_rule(libc: ctypes.CDLL, ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a folder this machine does not have
    try:
        if not os.path.isdir(path):
            rights &= _FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        if libc.syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0):
            raise OSError(ctypes.get_errno(), f"landlock rule for {path}: {_errno_text()}")
    finally:
        os.close(fd)


def blender_read_paths(extra: Iterable[str] = ()) -> list[str]:
    """Folders a worker must still read after start-up: Python, the virtual environment, bpy,
    meshcoder, shared libraries, a few devices, its own /proc entries and the CPU topology."""
    import bpy  # noqa: F401 (its folder must be readable for data files loaded on demand)

    import meshcoder

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(meshcoder.__file__)}
    paths.add(os.path.dirname(os.path.dirname(sys.modules["bpy"].__file__)))
    paths.update(p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p)
    paths.update(_SYSTEM_READ)
    paths.update(_DEVICES_READ)
    paths.update(("/proc/self", "/sys/devices/system/cpu"))
    paths.update(extra)
    return sorted(paths)


def write_paths(scratch: str) -> list[str]:
    return [scratch, *_DEVICES_WRITE]


# --------------------------------------------------------------------------------------- seccomp
#: Refused outright (EPERM): new programs, tracing, namespaces, mounts, kernel interfaces.
_DENIED_SYSCALLS = (
    "fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
    "fsopen", "fsmount", "fspick", "mount_setattr", "bpf", "perf_event_open", "userfaultfd", "keyctl",
    "add_key", "request_key", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "iopl", "ioperm", "io_uring_setup", "socket",
    "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "name_to_handle_at", "open_by_handle_at",
)  # fmt: skip


def load_seccomp():
    """The ``pyseccomp`` module, or why not. Load it before :func:`restrict_filesystem`: finding
    libseccomp runs ldconfig, which the sandbox forbids."""
    try:
        import pyseccomp
    except (ImportError, RuntimeError, OSError) as err:
        return f"unavailable ({type(err).__name__}: {err})"
    return pyseccomp


def forbid_new_processes(seccomp) -> str:
    """A seccomp filter: no new processes (threads only), no exec, no tracing, no namespaces, mounts
    or sockets. ``seccomp`` is what :func:`load_seccomp` gave."""
    if isinstance(seccomp, str):
        return seccomp
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for name in _DENIED_SYSCALLS:
            with contextlib.suppress(RuntimeError, ValueError, OSError):  # not on this architecture
                rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
        # clone without CLONE_THREAD makes a process; clone3 hides its flags from seccomp, so it
        # answers ENOSYS and the C library falls back to clone for threads.
        rules.add_rule(
            seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0)
        )
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
        rules.load()
    except Exception as err:
        return f"not applied ({type(err).__name__}: {err})"
    return "seccomp: no fork, exec, ptrace, namespaces, mounts or sockets"


# ---------------------------------------------------------------------------------- capabilities
class _CapHeader(ctypes.Structure):
    _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))


class _CapData(ctypes.Structure):
    _fields_ = (
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    )


def drop_capabilities() -> str:
    """Give up every capability (those of the user namespace's root included)."""
    if not sys.platform.startswith("linux"):
        return f"unavailable on {sys.platform}"
    libc = _libc()
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        return f"not dropped ({_errno_text()})"
    return "none"
