import { CacheError, CacheErrorCodes } from './errors/CacheError';

/**
 * L1 hands the same object to every caller, so that object must not change under them.
 * `Object.freeze` covers plain objects and arrays, but not the internal state of a `Date`,
 * `Map` or `Set`: those are rebuilt on a prototype whose mutators throw. It inherits from
 * the built-in's prototype and reports the built-in as its `constructor`, so the result is
 * still `instanceof Date/Map/Set` and equal to a plain one for Zod, Prisma, Jest and the
 * serializer.
 */
function readOnlyFlavour(base: MapConstructor | SetConstructor, mutators: string[]): { proto: object; newTarget: () => void } {
  const kind = base.name;
  const proto = Object.create(base.prototype as object, { constructor: { value: base, writable: true, configurable: true } }) as object;
  for (const name of mutators) {
    Object.defineProperty(proto, name, {
      value: (): never => {
        throw new TypeError(`cached ${kind} is read-only: copy it before changing it`);
      },
    });
  }
  // `Reflect.construct(base, args, newTarget)` creates the built-in with `newTarget.prototype`.
  const newTarget = function () {
    /* only a prototype carrier */
  };
  newTarget.prototype = proto;
  return { proto, newTarget };
}

/**
 * A read-only Date is an instance of this subclass: its instances share one hidden class. Built
 * with `Reflect.construct(Date, [t], newTarget)` and frozen, every Date got a map (and transition
 * chain) of its own, ~190 bytes of each Date and ~0.8 KB of each cached session row.
 */
class ReadOnlyDate extends Date {}
for (const name of Object.getOwnPropertyNames(Date.prototype).filter((n) => n.startsWith('set'))) {
  Object.defineProperty(ReadOnlyDate.prototype, name, {
    value: (): never => {
      throw new TypeError('cached Date is read-only: copy it before changing it');
    },
  });
}
Object.defineProperty(ReadOnlyDate.prototype, 'constructor', { value: Date, writable: true, configurable: true });
const READONLY_MAP = readOnlyFlavour(Map, ['set', 'delete', 'clear']);
const READONLY_SET = readOnlyFlavour(Set, ['add', 'delete', 'clear']);

function readOnlyDate(date: Date): Date {
  return new ReadOnlyDate(date.getTime());
}

function readOnlyMap(entries: Array<readonly [unknown, unknown]>): Map<unknown, unknown> {
  const map = Reflect.construct(Map, [], READONLY_MAP.newTarget) as Map<unknown, unknown>;
  // Filled through the built-in `set`: the instance's own `set` throws.
  for (const [k, v] of entries) Map.prototype.set.call(map, k, v);
  return map;
}

function readOnlySet(values: unknown[]): Set<unknown> {
  const set = Reflect.construct(Set, [], READONLY_SET.newTarget) as Set<unknown>;
  for (const v of values) Set.prototype.add.call(set, v);
  return set;
}

/**
 * Freezes `value` and everything reachable from it, in place, and returns it (or, for a
 * Date/Map/Set, its read-only replacement). Paid once when a value enters L1, never on a hit.
 * Throws `CACHE_SERIALIZATION` for what cannot be made read-only (typed arrays, cycles).
 */
export function deepFreeze<T>(value: T): T {
  return freezeNode(value, new Set()) as T;
}

/** A read-only Date is told by its prototype: not kept in `DEEPLY_FROZEN` (a cached row has several). */
const isReadOnlyDate = (node: object) => Object.getPrototypeOf(node) === ReadOnlyDate.prototype;

function freezeNode(node: unknown, path: Set<object>): unknown {
  if (node === null || typeof node !== 'object' || DEEPLY_FROZEN.has(node)) return node;
  if (node instanceof Date) return isReadOnlyDate(node) ? node : Object.freeze(readOnlyDate(node));
  if (ArrayBuffer.isView(node) || node instanceof ArrayBuffer) {
    throw new CacheError(CacheErrorCodes.SERIALIZATION, 'binary values cannot be kept read-only in the memory layer');
  }
  if (path.has(node)) throw new CacheError(CacheErrorCodes.SERIALIZATION, 'value has a cycle');
  path.add(node);
  let out: object;
  if (node instanceof Map) {
    out = readOnlyMap([...node].map(([k, v]) => [freezeNode(k, path), freezeNode(v, path)] as const));
  } else if (node instanceof Set) {
    out = readOnlySet([...node].map((v) => freezeNode(v, path)));
  } else {
    // A foreign object frozen shallowly cannot take its read-only children: work on a copy.
    out = Object.isFrozen(node) ? copyOf(node) : node;
    const record = out as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (child === null || typeof child !== 'object') continue;
      const frozen = freezeNode(child, path);
      if (frozen !== child) record[key] = frozen;
    }
  }
  path.delete(node);
  return mark(out);
}

function copyOf(node: object): object {
  return Array.isArray(node) ? [...(node as unknown[])] : Object.assign(Object.create(Object.getPrototypeOf(node) as object | null) as object, node);
}

function mark<T extends object>(node: T): T {
  DEEPLY_FROZEN.add(node);
  return Object.freeze(node);
}

/** Objects this module froze all the way down; lets a re-insertion skip the walk. */
const DEEPLY_FROZEN = new WeakSet<object>();

/** True when `value` was made read-only by `deepFreeze` (or is a primitive). */
export function isDeepFrozen(value: unknown): boolean {
  return value === null || typeof value !== 'object' || DEEPLY_FROZEN.has(value) || isReadOnlyDate(value);
}
