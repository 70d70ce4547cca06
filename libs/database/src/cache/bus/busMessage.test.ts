import { decodeBusMessage, encodeBusMessage, type BusMessage } from './busMessage';

describe('bus messages', () => {
  it.each<BusMessage>([
    { instanceId: 'i', type: 'keys', keys: ['a', 'b:c'], publishedAt: 1_700_000_000_123 },
    { instanceId: 'i', type: 'tags', tags: ['t'], publishedAt: 1 },
    { instanceId: 'i', type: 'prefix', prefix: 'user:', publishedAt: 1_700_000_000_000 },
    { instanceId: 'i', type: 'clear', publishedAt: 42 },
  ])('round-trips %o', (message) => {
    expect(decodeBusMessage(encodeBusMessage(message))).toEqual(message);
  });

  it('stamps the publish time when the sender gave none', () => {
    const before = Date.now();
    const decoded = decodeBusMessage(encodeBusMessage({ instanceId: 'i', type: 'keys', keys: ['a'] }));
    expect(decoded?.publishedAt).toBeGreaterThanOrEqual(before);
    expect(decoded?.publishedAt).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    ['no time stamp (a sender from before it)', '{"i":"x","o":"k","k":["a"]}'],
    ['a string time stamp', '{"i":"x","o":"k","k":["a"],"t":"soon"}'],
    ['a negative time stamp', '{"i":"x","o":"k","k":["a"],"t":-5}'],
  ])('still applies a message with %s, without a publish time', (_what, text) => {
    expect(decodeBusMessage(text)).toEqual({ instanceId: 'x', type: 'keys', keys: ['a'] });
  });

  it.each(['', 'nope', 'null', '{"i":1,"o":"k","k":[]}', '{"i":"x","o":"k","k":[1]}', '{"i":"x","o":"?","k":[]}', '{"i":"x","o":"p","k":["a","b"]}'])(
    'ignores malformed %s',
    (text) => {
      expect(decodeBusMessage(text)).toBeUndefined();
    },
  );
});
