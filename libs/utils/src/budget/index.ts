export * from './BudgetRegistry';
export * from './RetryBudget';
