import { outageFigures, promValue } from './analysis';
import type { Sample } from './openLoad';

const s = (sentMs: number, status: number, ms = 5, retryAfter = status === 503): Sample => ({ target: 't', sentMs, status, ms, retryAfter });

describe('outageFigures', () => {
  it('reads the first 503, the wrong answers, hanging requests and the recovery from samples', () => {
    const samples = [s(4_000, 200), s(5_100, 200), s(5_200, 503, 20), s(6_000, 401), s(7_000, 0, 5_000), s(15_100, 503), s(15_300, 200), s(16_000, 200)];
    const f = outageFigures(samples, 't', 5_000, 15_000, 20_000);
    expect(f.timeToFirst503Ms).toBe(220);
    expect(f.duringOutage).toEqual({ '200': 1, '503': 1, '401': 1, '0': 1 });
    expect(f.wrongAnswers).toBe(1);
    expect(f.slowOrHanging).toBe(1);
    expect(f.recoveryMs).toBe(105);
  });

  it('says never when the server has not answered 200 since its last failure', () => {
    expect(outageFigures([s(15_100, 200), s(16_000, 503)], 't', 5_000, 15_000, 20_000).recoveryMs).toBeNull();
    expect(outageFigures([s(15_100, 200)], 't', 5_000, 15_000, 20_000).recoveryMs).toBe(0);
  });
});

describe('promValue', () => {
  it('finds a labelled sample and answers 0 when it is absent', () => {
    const text = '# HELP x\nauth_events_total{service="auth-service",event="database_attempts"} 42\nauth_events_total{event="other"} 3';
    expect(promValue(text, 'auth_events_total', { event: 'database_attempts' })).toBe(42);
    expect(promValue(text, 'auth_events_total', { event: 'missing' })).toBe(0);
  });
});
