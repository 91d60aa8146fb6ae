"""Generated trees to Python source text. The only module that imports astor."""

from __future__ import annotations

import re

import astor
import gast
from astor.source_repr import split_lines

# astor breaks longer lines, and not always where a reader would: at 100 columns the argument
# check of a function of two or three parameters stays on one line
MAX_LINE = 100

_COMMENT = "__tapeless_comment_{}__"
_COMMENT_RE = re.compile(r"^(\s*)__tapeless_comment_(\d+)__\n", re.M)


class Comments:
    """Comment lines, placed as marker statements in the tree and written out as ``# ...``."""

    def __init__(self):
        self.texts = []

    def marker(self, text):
        self.texts.append(text)
        return gast.Expr(value=gast.Name(id=_COMMENT.format(len(self.texts) - 1), ctx=gast.Load(),
                                         annotation=None, type_comment=None))

    def annotate(self, stmts, describe):
        """Insert a comment before each run of statements that share an origin."""
        out, last = [], None
        for s in stmts:
            for field in ("body", "orelse"):
                if getattr(s, field, None):
                    setattr(s, field, self.annotate(getattr(s, field), describe))
            origin = getattr(s, "origin", None)
            if _bookkeeping(s):  # flags and breaks from lowered jumps need no comment
                out.append(s)
                continue
            if origin is not None and origin is not last and not isinstance(s, (gast.If, gast.For, gast.While)):
                text = describe(origin)
                if text is not None and "(<tapeless" in text:
                    text = None  # transformed generated code: its lines are the statements themselves
                if text:
                    out.append(self.marker(text))
                last = origin
            elif isinstance(s, (gast.If, gast.For, gast.While)):
                last = None
            out.append(s)
        return out

    def render(self, text):
        return _COMMENT_RE.sub(lambda m: f"{m.group(1)}# {self.texts[int(m.group(2))]}\n", text)


def _bookkeeping(s):
    if isinstance(s, (gast.Break, gast.Continue)):
        return True
    return (isinstance(s, gast.Assign) and isinstance(s.value, gast.Constant)
            and isinstance(s.value.value, bool))


def _no_empty_blocks(node):
    for sub in gast.walk(node):
        if isinstance(sub, (gast.If, gast.For, gast.While, gast.FunctionDef)) and not sub.body:
            sub.body = [gast.Pass()]


def to_source(nodes, comments=None) -> str:
    """Python source for a list of gast statements (usually function definitions)."""
    module = gast.Module(body=list(nodes), type_ignores=[])
    _no_empty_blocks(module)
    tree = gast.gast_to_ast(gast.fix_missing_locations(module))
    text = astor.to_source(tree, indent_with="    ",
                           pretty_source=lambda source: "".join(split_lines(source, maxline=MAX_LINE)))
    if comments is not None:
        text = comments.render(text)
    return text
