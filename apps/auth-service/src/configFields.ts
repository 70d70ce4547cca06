import { z, type ZodType } from 'zod';

/** A URL of one of `protocols` (`'https:'` …), at most 2,048 characters. */
export const url = (protocols: string[]) =>
  z
    .string()
    .max(2_048)
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a ${protocols.join(' or ')} URL`);

/** An unset variable, whatever the empty string would otherwise mean. */
export const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** A comma-separated list (empty by default), each trimmed item checked by `item`. */
export const commaList = <T>(item: ZodType<T, string>, maxLength: number, maxItems: number) =>
  z
    .string()
    .max(maxLength)
    .default('')
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .pipe(z.array(item).max(maxItems));
