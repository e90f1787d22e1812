#!/usr/bin/python3
"""Reference side of the Java state_dict reader/writer tests (spsn.io), using real PyTorch.

Run with Debian's /usr/bin/python3 (torch 1.13 installed):

  torch_state_dict.py write-fixture [OUT_DIR]
      Writes, into OUT_DIR (default src/test/resources/io):
        torch_written.pt    torch.save of a small state_dict: a 5->4->3 net with keys like
                            0.fc.weight, views sharing one storage (offset, transposed,
                            strided column), float64/float16/bfloat16 tensors, a scalar and
                            an empty tensor;
        torch_written.json  the expected float32 values of each tensor, row-major;
        torch_int64.pt      a state_dict with an int64 tensor (unsupported dtype);
        torch_legacy.pt     a state_dict in the pre-1.6 (non-zip) torch.save format.

  torch_state_dict.py check PATH EXPECTED_JSON
      torch.load(PATH) (also with weights_only=True when this torch has it) and compares its
      keys (in order), dtypes (float32), shapes and values (bit for bit) with EXPECTED_JSON;
      exits 1 with a message on the first mismatch.

EXPECTED_JSON format: {"tensors": [{"key": str, "shape": [int], "values": [float]}, ...]}.
"""
import collections
import inspect
import json
import os
import sys

import torch
from torch import nn


class Fc(nn.Module):
    """A layer holding its Linear as .fc, giving the same key names as the SPSN models."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.fc = nn.Linear(n_in, n_out)


def fixture_state_dict():
    torch.manual_seed(20230209)
    net = nn.Sequential(Fc(5, 4), Fc(4, 3))
    state = net.state_dict()  # an OrderedDict with a _metadata attribute, as torch writes it
    with torch.no_grad():
        state['0.fc.weight'][1, 2] = -0.0
        state['1.fc.bias'][0] = 0.0
    big = torch.arange(24, dtype=torch.float32).reshape(4, 6) * 0.25 - 2.0
    state['view.rows'] = big[1:3]        # storage offset 6, shares big's storage
    state['view.transposed'] = big.t()   # strides (1, 6)
    state['view.column'] = big[:, 2]     # offset 2, stride 6
    state['dtype.double'] = torch.tensor([[1.0 / 3.0, -2.5], [1e-3, 7.0e30]], dtype=torch.float64)
    state['dtype.half'] = torch.tensor([1.5, -0.0009765625, 2.0 ** -20, 65504.0, -0.0],
                                       dtype=torch.float16)
    state['dtype.bfloat16'] = torch.tensor([3.140625, -1.0e-20, 2.0 ** 100], dtype=torch.bfloat16)
    state['scalar'] = torch.tensor(3.25)
    state['empty'] = torch.zeros(0, 3)
    return state


def expected_json(state):
    tensors = []
    for key, tensor in state.items():
        as_float = tensor.detach().to(torch.float32).contiguous()
        tensors.append({'key': key, 'shape': list(as_float.shape),
                        'values': as_float.reshape(-1).tolist()})
    return {'tensors': tensors}


def write_fixture(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    state = fixture_state_dict()
    # Views must reach the file as views of one storage, or the test would not cover strides.
    assert state['view.rows'].storage_offset() == 6 and state['view.transposed'].stride() == (1, 6)
    torch.save(state, os.path.join(out_dir, 'torch_written.pt'))
    with open(os.path.join(out_dir, 'torch_written.json'), 'w') as out:
        json.dump(expected_json(state), out, indent=1)
        out.write('\n')
    int64 = collections.OrderedDict([('weight', torch.ones(2, 2)),
                                     ('bn.num_batches_tracked', torch.tensor(5))])
    torch.save(int64, os.path.join(out_dir, 'torch_int64.pt'))
    legacy = collections.OrderedDict([('weight', torch.ones(2, 2))])
    torch.save(legacy, os.path.join(out_dir, 'torch_legacy.pt'), _use_new_zipfile_serialization=False)
    print('wrote fixtures to', out_dir)


def fail(message):
    print('MISMATCH: ' + message, file=sys.stderr)
    sys.exit(1)


def compare(path, loaded, expected, how):
    if not isinstance(loaded, collections.OrderedDict):
        fail('%s (%s) holds a %s, not an OrderedDict' % (path, how, type(loaded).__name__))
    want_keys = [t['key'] for t in expected['tensors']]
    if list(loaded.keys()) != want_keys:
        fail('%s (%s): keys %s, expected %s' % (path, how, list(loaded.keys()), want_keys))
    for spec in expected['tensors']:
        key = spec['key']
        tensor = loaded[key]
        if not isinstance(tensor, torch.Tensor) or tensor.dtype != torch.float32:
            fail('%s (%s): %s is %r, expected a float32 tensor' % (path, how, key, tensor))
        if list(tensor.shape) != spec['shape']:
            fail('%s (%s): %s has shape %s, expected %s' % (path, how, key, list(tensor.shape), spec['shape']))
        want = torch.tensor(spec['values'], dtype=torch.float32).reshape(spec['shape'])
        # Compare bit patterns so that -0.0 vs 0.0 counts as a difference.
        if not torch.equal(tensor.contiguous().view(torch.int32), want.view(torch.int32)):
            fail('%s (%s): values of %s differ from the expected ones' % (path, how, key))


def check(path, expected_path):
    with open(expected_path) as source:
        expected = json.load(source)
    compare(path, torch.load(path, map_location='cpu'), expected, 'torch.load')
    if 'weights_only' in inspect.signature(torch.load).parameters:
        compare(path, torch.load(path, map_location='cpu', weights_only=True), expected,
                'torch.load weights_only=True')
    print('OK: %s matches %s (%d tensors, torch %s)'
          % (path, expected_path, len(expected['tensors']), torch.__version__))


def main(argv):
    if len(argv) >= 1 and argv[0] == 'write-fixture' and len(argv) <= 2:
        write_fixture(argv[1] if len(argv) == 2 else os.path.join('src', 'test', 'resources', 'io'))
    elif len(argv) == 3 and argv[0] == 'check':
        check(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == '__main__':
    main(sys.argv[1:])
