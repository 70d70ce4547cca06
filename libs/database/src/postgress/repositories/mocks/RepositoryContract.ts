/**
 * The public surface of a repository class (`#private` and protected members excluded), which
 * the in-memory fakes implement, so a fake that drifts from its repository fails to compile.
 * `transaction`, `transactionWith` and `bindTo` are left out: the fakes type `this` as themselves.
 */
export type RepositoryContract<T> = Omit<{ [K in keyof T]: T[K] }, 'transaction' | 'transactionWith' | 'bindTo'>;
