import { RetryBudget } from '../../../src/runtime/retry/retry-budget';

describe('RetryBudget (the SDKs\' standard retry quota)', () => {
  test('500 tokens pay for 100 retries at 5, or 50 after timeouts at 10; then none', () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 100; i++) expect(budget.acquire(false)).toBe(5);
    expect(budget.acquire(false)).toBe(0);
    expect(budget.available).toBe(0);
    const timeouts = new RetryBudget();
    for (let i = 0; i < 50; i++) expect(timeouts.acquire(true)).toBe(10);
    expect(timeouts.acquire(true)).toBe(0);
  });

  test('a successful retry gives back its cost, a successful first attempt 1, never above the capacity', () => {
    const budget = new RetryBudget(20);
    budget.recordSuccess(0);
    expect(budget.available).toBe(20);
    const cost = budget.acquire(true);
    budget.acquire(false);
    expect(budget.available).toBe(5);
    budget.recordSuccess(cost);
    expect(budget.available).toBe(15);
    budget.recordSuccess(0);
    expect(budget.available).toBe(16);
    for (let i = 0; i < 10; i++) budget.recordSuccess(0);
    expect(budget.available).toBe(20);
  });

  test('a budget of 0 pays for no retry', () => {
    expect(new RetryBudget(0).acquire(false)).toBe(0);
  });
});
