import { invalidFields } from '@plo/platform';

/** Something reported done happened on a real day: not before the proceedings, not in the future. */
export function checkDoneOn(field: string, on: string, notBefore: string, today: string) {
  if (on > today) throw invalidFields([{ field, message: `${field} must not be in the future (today is ${today})` }]);
  if (on < notBefore) throw invalidFields([{ field, message: `${field} must not be before ${notBefore}` }]);
}
