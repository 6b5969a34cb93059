"""Real CPU and memory limits for a plain process, as a container gets them: a cgroup of its own
(v1 or v2, as root), joined by the child before it execs. The JVM reads these limits exactly as it
does in a pod, and the kernel enforces them (an OOM kill is counted)."""
import os

V1_MEMORY = "/sys/fs/cgroup/memory"
V1_CPU_CANDIDATES = ("/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu")
V2_ROOT = "/sys/fs/cgroup"
PERIOD_US = 100_000


def available():
    """True when this process may create cgroups (root with a writable hierarchy)."""
    if os.geteuid() != 0:
        return False
    if os.path.isdir(V1_MEMORY):
        return os.access(V1_MEMORY, os.W_OK)
    return os.path.exists(os.path.join(V2_ROOT, "cgroup.controllers")) and os.access(V2_ROOT, os.W_OK)


class Cgroup:
    def __init__(self, name, memory_bytes=None, cpus=None):
        self.memory_bytes, self.cpus = memory_bytes, cpus
        self.v1 = os.path.isdir(V1_MEMORY)
        if self.v1:
            cpu_root = next(p for p in V1_CPU_CANDIDATES if os.path.isdir(p))
            self.dirs = [os.path.join(V1_MEMORY, "footprint", name), os.path.join(cpu_root, "footprint", name)]
            for d in self.dirs:
                os.makedirs(d, exist_ok=True)
            if memory_bytes:
                self._write(self.dirs[0], "memory.limit_in_bytes", memory_bytes)
            if cpus:
                self._write(self.dirs[1], "cpu.cfs_period_us", PERIOD_US)
                self._write(self.dirs[1], "cpu.cfs_quota_us", int(cpus * PERIOD_US))
        else:
            parent = os.path.join(V2_ROOT, "footprint")
            os.makedirs(parent, exist_ok=True)
            self._write(V2_ROOT, "cgroup.subtree_control", "+memory +cpu")
            self._write(parent, "cgroup.subtree_control", "+memory +cpu")
            self.dirs = [os.path.join(parent, name)]
            os.makedirs(self.dirs[0], exist_ok=True)
            if memory_bytes:
                self._write(self.dirs[0], "memory.max", memory_bytes)
                self._write(self.dirs[0], "memory.swap.max", 0)
            if cpus:
                self._write(self.dirs[0], "cpu.max", f"{int(cpus * PERIOD_US)} {PERIOD_US}")

    @staticmethod
    def _write(directory, name, value):
        try:
            with open(os.path.join(directory, name), "w") as f:
                f.write(str(value))
        except OSError as error:
            if name != "memory.swap.max":  # absent when the kernel has no swap accounting
                raise RuntimeError(f"cannot set {directory}/{name}: {error}")

    def _read(self, index, name):
        try:
            with open(os.path.join(self.dirs[index], name)) as f:
                return f.read()
        except OSError:
            return ""

    def join(self):
        """For Popen(preexec_fn=...): moves the child into the cgroup before it execs."""
        for d in self.dirs:
            with open(os.path.join(d, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))

    def peak_bytes(self):
        text = self._read(0, "memory.max_usage_in_bytes" if self.v1 else "memory.peak")
        return int(text) if text.strip() else None

    def oom_kills(self):
        text = self._read(0, "memory.oom_control" if self.v1 else "memory.events")
        for line in text.splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
        return 0

    def remove(self):
        for d in self.dirs:
            try:
                os.rmdir(d)
            except OSError:
                pass
