import { decodeBusMessage, encodeBusMessage, type BusMessage } from './busMessage';

describe('bus messages', () => {
  it.each<BusMessage>([
    { instanceId: 'i', type: 'keys', keys: ['a', 'b:c'] },
    { instanceId: 'i', type: 'tags', tags: ['t'] },
    { instanceId: 'i', type: 'prefix', prefix: 'user:' },
    { instanceId: 'i', type: 'clear' },
  ])('round-trips %o', (message) => {
    expect(decodeBusMessage(encodeBusMessage(message))).toEqual(message);
  });

  it.each(['', 'nope', 'null', '{"i":1,"o":"k","k":[]}', '{"i":"x","o":"k","k":[1]}', '{"i":"x","o":"?","k":[]}', '{"i":"x","o":"p","k":["a","b"]}'])(
    'ignores malformed %s',
    (text) => {
      expect(decodeBusMessage(text)).toBeUndefined();
    },
  );
});
