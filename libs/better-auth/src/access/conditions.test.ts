import type { PermissionConditions } from '@libs/database/models';
import { conditionsHold, type ConditionSubject, type ResourceContext } from './conditions';

/** A fixed instant on a Monday (UTC day 1): `at('09:30')` is 09:30 UTC that day. */
const at = (hhmm: string, day = '2026-12-07'): number => Date.parse(`${day}T${hhmm}:00Z`);
const subject: ConditionSubject = { userId: 'u1', storeId: 's1' };
const holds = (conditions: PermissionConditions, now: number, resource?: ResourceContext, who = subject) => conditionsHold(conditions, who, resource, now);

describe('conditionsHold', () => {
  describe('timeWindow (UTC, end exclusive)', () => {
    const office = { timeWindow: { start: '09:00', end: '17:00' } };
    it.each([
      ['08:59', false],
      ['09:00', true],
      ['12:00', true],
      ['16:59', true],
      ['17:00', false],
      ['23:59', false],
    ])('09:00–17:00 at %s: %s', (time, expected) => {
      expect(holds(office, at(time))).toBe(expected);
    });

    const night = { timeWindow: { start: '22:00', end: '06:00' } };
    it.each([
      ['21:59', false],
      ['22:00', true],
      ['23:59', true],
      ['00:00', true],
      ['05:59', true],
      ['06:00', false],
      ['12:00', false],
    ])('22:00–06:00 (wraps midnight) at %s: %s', (time, expected) => {
      expect(holds(night, at(time))).toBe(expected);
    });

    it.each(['00:00', '07:59', '08:00', '12:00', '23:59'])('start === end is the whole day (08:00–08:00 at %s)', (time) => {
      expect(holds({ timeWindow: { start: '08:00', end: '08:00' } }, at(time))).toBe(true);
    });

    it('limits the window to its days (0 = Sunday)', () => {
      const weekdays = { timeWindow: { start: '00:00', end: '00:00', days: [1, 2, 3, 4, 5] } };
      expect(holds(weekdays, at('12:00', '2026-12-07'))).toBe(true); // Monday
      expect(holds(weekdays, at('12:00', '2026-12-06'))).toBe(false); // Sunday
      expect(holds(weekdays, at('12:00', '2026-12-12'))).toBe(false); // Saturday
    });
  });

  describe('sameStore', () => {
    it('holds only for a resource in the caller\'s store', () => {
      expect(holds({ sameStore: true }, at('12:00'), { storeId: 's1' })).toBe(true);
      expect(holds({ sameStore: true }, at('12:00'), { storeId: 's2' })).toBe(false);
      expect(holds({ sameStore: true }, at('12:00'), { storeId: null })).toBe(false);
      expect(holds({ sameStore: true }, at('12:00'))).toBe(false); // no resource: never widens
      expect(holds({ sameStore: true }, at('12:00'), { storeId: 's1' }, { userId: 'u1', storeId: null })).toBe(false);
    });
  });

  describe('own', () => {
    it('holds only for the caller\'s own resource', () => {
      expect(holds({ own: true }, at('12:00'), { ownerId: 'u1' })).toBe(true);
      expect(holds({ own: true }, at('12:00'), { ownerId: 'u2' })).toBe(false);
      expect(holds({ own: true }, at('12:00'))).toBe(false);
    });
  });

  it('needs every condition at once', () => {
    const all: PermissionConditions = { own: true, sameStore: true, timeWindow: { start: '09:00', end: '17:00' } };
    const resource = { ownerId: 'u1', storeId: 's1' };
    expect(holds(all, at('10:00'), resource)).toBe(true);
    expect(holds(all, at('18:00'), resource)).toBe(false);
    expect(holds(all, at('10:00'), { ...resource, storeId: 's2' })).toBe(false);
    expect(holds(all, at('10:00'), { ...resource, ownerId: 'u2' })).toBe(false);
  });
});
