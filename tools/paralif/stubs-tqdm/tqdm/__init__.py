"""Minimal stand-in for tqdm, put on PYTHONPATH by run_paralif.py only when the interpreter has no
tqdm (Debian's python3-tqdm is not installed): ParaLIF's network.py iterates over tqdm(...) and
calls set_postfix; this prints the description and the last postfix once per loop instead."""


class tqdm:
    def __init__(self, iterable=None, desc=None, **kwargs):
        self.iterable = iterable
        self.desc = desc
        self.postfix = {}

    def __iter__(self):
        if self.desc:
            print(self.desc, flush=True)
        for item in self.iterable:
            yield item
        if self.postfix:
            print("  " + ", ".join(f"{k}={v}" for k, v in self.postfix.items()), flush=True)

    def __len__(self):
        return len(self.iterable)

    def set_postfix(self, **kwargs):
        self.postfix = kwargs
