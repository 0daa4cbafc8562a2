"""The README's demo block is what ``kstar-widgets demo --markdown`` prints, character for character."""

import re
from pathlib import Path

from kstar_widgets.cli import main
from kstar_widgets.cli._demo import BLOCK_BEGIN, BLOCK_END

README = Path(__file__).resolve().parents[2] / "README.md"
VERSIONS = re.compile(r"; kstar_widgets [^\n]*\.$", re.MULTILINE)


def block(text):
    """The lines from BLOCK_BEGIN to BLOCK_END (both included)."""
    assert text.count(BLOCK_BEGIN) == 1 and text.count(BLOCK_END) == 1, "one pair of markers"
    return text[text.index(BLOCK_BEGIN) : text.index(BLOCK_END) + len(BLOCK_END)]


def test_the_readme_block_is_what_the_demo_prints(tmp_path, capsys):
    argv = ["demo", "--markdown", "--no-report", "--quiet", "--cache-dir", str(tmp_path)]
    assert main(argv) == 0
    printed, pasted = block(capsys.readouterr().out), block(README.read_text())
    assert "| robust CNN |" in printed and "Verdicts" in printed and "[" in printed
    assert "weights shipped with the package" in printed
    here, there = VERSIONS.search(printed).group(), VERSIONS.search(pasted).group()
    if here != there:
        # other library versions: the shipped weights still make every number the same
        printed, pasted = printed.replace(here, ""), pasted.replace(there, "")
    assert printed == pasted, "paste the block kstar-widgets demo --markdown prints into README.md"


def test_the_readme_prose_quotes_no_number_the_block_does_not_print():
    text = README.read_text()
    demo = text.split("## Run it, test it")[1].split("Run the tests")[0]
    install = demo[demo.index("**Install size.**") : demo.index("```bash")]  # measured sizes
    prose = demo.replace(block(text), "").replace(install, "")
    quoted = set(re.findall(r"[−+-]?\d+\.\d+%?", prose))
    assert quoted <= set(re.findall(r"[−+-]?\d+\.\d+%?", block(text))), quoted
