import { BudgetRegistry } from './BudgetRegistry';

describe('BudgetRegistry', () => {
  it('shares one budget per key (the first settings win) and is bounded', () => {
    const registry = new BudgetRegistry({ maxBudgets: 2 });
    const a = registry.get('a', { ratio: 0.5 });
    expect(registry.get('a', { ratio: 0.9 })).toBe(a);
    expect(a.ratio).toBe(0.5);
    registry.get('b', {});
    registry.get('c', {});
    expect(registry.size).toBe(2);
    expect(registry.peek('a')).toBeUndefined();
    registry.configure({ maxBudgets: 10 });
    expect(registry.size).toBe(0);
    registry.get('x', {});
    registry.reset();
    expect(registry.size).toBe(0);
  });
});
