"""The start of the ``compliance`` program: the cyclic garbage collector waits meanwhile.

Loading the modules and the rule pack builds tens of thousands of objects that all live until
the program ends; collecting them over and over (they are all containers) took about a tenth of
a one-unit check. :mod:`compliance.cli` imports this module first, so the pause covers Click
too; :func:`resume` brings the collector back, with everything made so far frozen (never walked
again), before a command reads its inputs. Only when this process is the program: a caller that
imports the package (a script, the tests) keeps its collector as it is.
"""

from __future__ import annotations

import gc
import os
import sys


def run_as_program() -> bool:
    """Whether this process is the ``compliance`` program (the script or ``python -m
    compliance``), judged by its command line."""
    if not sys.argv:
        return False
    name = os.path.basename(sys.argv[0])
    if name == "__main__.py":
        return os.path.basename(os.path.dirname(sys.argv[0])) == "compliance"
    return name.startswith("compliance")  # the script (compliance, compliance-script.py...)


_paused = run_as_program() and gc.isenabled()
if _paused:
    gc.disable()


def resume() -> None:
    """Collect garbage again from here on, if this module paused the collector (once)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()  # what start-up made lives on: later collections skip it
        gc.enable()


_quick_exit = False


def end_quickly() -> None:
    """Let the program end without the interpreter's teardown once the command exits.

    For a command whose outputs are all written and closed: freeing every object one by one
    (a laid-out document, the loaded units) costs a tenth of a second and changes nothing.
    The exit handlers still run and the output streams are flushed.
    """
    global _quick_exit
    _quick_exit = True


def ends_quickly() -> bool:
    """Whether :func:`end_quickly` was called."""
    return _quick_exit
