import { ValidationOptions, registerDecorator } from 'class-validator';

const LEGAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2025-02-29 is refused). Legal dates are never instants. */
export function isLegalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = LEGAL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function IsLegalDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isLegalDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a calendar date written YYYY-MM-DD`, ...options },
      validator: { validate: isLegalDate },
    });
}
