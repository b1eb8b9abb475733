import { describe, expect, it } from 'vitest';
import { parseNetDev } from './sandbox-stats.js';

describe('parseNetDev', () => {
  it('reads bytes and errors of every interface but loopback', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0',
      '  eth0:    1296      16    1    0    0     0          0         0      866      11    2    0    0     0       0          0',
    ].join('\n');
    expect(parseNetDev(text)).toEqual([
      {
        name: 'eth0',
        rx_bytes: { value: '1296' },
        rx_errors: { value: '1' },
        tx_bytes: { value: '866' },
        tx_errors: { value: '2' },
      },
    ]);
  });
});
