"""A fresh virtual environment built only from binder/ installs and runs the quickstart."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
PYTORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def test_binder_files_ask_for_cpu_torch_and_install_the_package():
    reqs = (BINDER / "requirements.txt").read_text()
    assert f"--extra-index-url {PYTORCH_CPU_INDEX}" in reqs and "torch" in reqs
    post = (BINDER / "postBuild").read_text()
    assert post.startswith("#!/bin/bash") and os.access(BINDER / "postBuild", os.X_OK)
    assert 'pip install --no-cache-dir -e ".[notebooks,timm,clip]"' in post


def requirements_for_here(tmp_path) -> Path:
    """binder/requirements.txt with the torch index swapped for $KSTAR_BINDER_TORCH_INDEX (or dropped)."""
    index = os.environ.get("KSTAR_BINDER_TORCH_INDEX", "").strip()
    lines = []
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        if line.startswith("--extra-index-url") and PYTORCH_CPU_INDEX in line:
            line = f"--extra-index-url {index}" if index else ""
        lines.append(line)
    path = tmp_path / "requirements.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("KSTAR_TEST_BINDER") != "1",
    reason="builds a whole virtual environment (minutes); set KSTAR_TEST_BINDER=1 to run",
)
def test_binder_environment_builds_and_runs_the_quickstart(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "HF_HUB_OFFLINE": "1",
        "KSTAR_WIDGETS_CACHE": str(tmp_path / "cache"),
    }
    env.pop("PYTHONPATH", None)

    def sh(*cmd, cwd=ROOT, timeout=1500):
        out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
        assert out.returncode == 0, f"{cmd}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
        return out.stdout

    sh(
        str(bin_dir / "pip"),
        "install",
        "--no-cache-dir",
        "-r",
        str(requirements_for_here(tmp_path)),
    )
    sh("bash", str(BINDER / "postBuild"))  # pip and kstar-widgets resolve to the venv via PATH
    # postBuild warmed the features of the demo's CNNs; their weights ship, so nothing trained
    assert len(list((tmp_path / "cache").glob("*.kwf"))) >= 3
    assert not (tmp_path / "cache" / "models").exists()
    # CPU-only torch where the PyTorch CPU index was used (Binder); elsewhere whatever pip supplied
    want_cpu = os.environ.get("KSTAR_BINDER_TORCH_INDEX", "").strip() == PYTORCH_CPU_INDEX
    check = "import torch, kstar_widgets; print(torch.__version__, torch.version.cuda)"
    version = sh(str(bin_dir / "python"), "-c", check)
    assert not want_cpu or version.strip().splitlines()[-1].endswith(" None"), version
    work = tmp_path / "work"
    work.mkdir()
    # a copy: the kernel runs where the notebook is, and the quickstart writes its report there
    (work / "01_quickstart.ipynb").write_bytes(
        (ROOT / "notebooks" / "01_quickstart.ipynb").read_bytes()
    )
    sh(
        str(bin_dir / "jupyter"),
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--inplace",
        str(work / "01_quickstart.ipynb"),
        "--ExecutePreprocessor.timeout=600",
        "--ExecutePreprocessor.kernel_name=python3",
        cwd=work,
    )
    assert (work / "01_quickstart.ipynb").stat().st_size > 100_000
    assert (work / "quickstart_report.html").is_file()
