export * from './RetryBudget';
export * from './budgetRegistry';
