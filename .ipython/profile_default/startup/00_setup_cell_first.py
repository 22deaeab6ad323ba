"""If a cell uses a name before the notebook's setup cell has run, say so in one line.

Every notebook's first code cell imports what the others use.  Run out of order (after opening a
notebook, or after a kernel restart), a later cell fails with a NameError; this adds the fix.
"""


def _explain_name_error(shell, etype, value, tb, tb_offset=None):
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    if "use_house_style" not in shell.user_ns:  # every setup cell imports it
        print("Run the notebook's setup cell first (its first code cell, or Kernel → Restart Kernel and "
              "Run All Cells), then this cell again.")


get_ipython().set_custom_exc((NameError,), _explain_name_error)  # noqa: F821
