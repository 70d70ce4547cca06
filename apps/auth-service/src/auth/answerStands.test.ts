import { SESSION_MODEL } from '@libs/better-auth';
import { answerStandsDespiteOutage } from './betterAuthBridge';

describe('answerStandsDespiteOutage: which answers an outage may not rewrite', () => {
  const none = new Set<string>();
  const session = new Set([SESSION_MODEL]);

  it('a rate-limit refusal stands whatever was written', () => {
    expect(answerStandsDespiteOutage(429, none)).toBe(true);
  });

  it('a success stands when the session write committed before the outage (sign-in, sign-out, OIDC callback redirect)', () => {
    expect(answerStandsDespiteOutage(200, session)).toBe(true);
    expect(answerStandsDespiteOutage(302, new Set(['user', 'account', SESSION_MODEL]))).toBe(true);
  });

  it('everything else is the outage in disguise', () => {
    // 401 "invalid credentials" because the user lookup failed.
    expect(answerStandsDespiteOutage(401, none)).toBe(false);
    // An error, even after the session was written.
    expect(answerStandsDespiteOutage(500, session)).toBe(false);
    expect(answerStandsDespiteOutage(422, session)).toBe(false);
    // A 200 that committed nothing (get-session "no session", a sign-out that ended nothing).
    expect(answerStandsDespiteOutage(200, none)).toBe(false);
    // A callback redirected to its error page after spending its state (a verification write only).
    expect(answerStandsDespiteOutage(302, new Set(['verification']))).toBe(false);
  });
});
