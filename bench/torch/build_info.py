"""What the PyTorch sides of the benches (bench.py, mlp_server.py) report about the build they run on."""
import os


def blas_info(torch):
    """What backs torch.matmul: BLAS_INFO from the build, and the BLAS/LAPACK libraries this process
    loaded (Debian's build says BLAS_INFO=generic and links the system libblas.so.3, which may be
    OpenBLAS or the slow reference BLAS, so only /proc/self/maps tells)."""
    config = torch.__config__.show()
    info = next((p.split("=")[1] for p in config.replace(",", " ").split() if p.startswith("BLAS_INFO=")), "unknown")
    loaded = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if "/" in line else ""
            name = os.path.basename(path).lower()
            if "blas" in name or "lapack" in name:
                loaded.add(os.path.realpath(path))
    return info, sorted(loaded)
