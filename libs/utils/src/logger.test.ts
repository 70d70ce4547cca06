import { errorCodeOf } from './logger';

describe('errorCodeOf', () => {
  it.each<[unknown, string]>([
    [Object.assign(new Error('x'), { code: 'P2002' }), 'P2002'],
    [Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    [Object.assign(new Error('x'), { code: 1006 }), '1006'],
    [new TypeError('x'), 'TypeError'],
    [new Error('secret value in message'), 'UNKNOWN'],
    [Object.assign(new Error('x'), { code: 'has spaces and a token abc' }), 'UNKNOWN'],
    [Object.assign(new Error('x'), { code: 'x'.repeat(65) }), 'UNKNOWN'],
    ['a string', 'UNKNOWN'],
    [null, 'UNKNOWN'],
  ])('%p → %s', (error, code) => {
    expect(errorCodeOf(error)).toBe(code);
  });
});
