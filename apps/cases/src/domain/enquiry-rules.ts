import { Section47Outcome, StrategyAgency } from '@plo/contracts';

/** Working Together 2023: a strategy discussion involves at least the council, the police and health. */
export const REQUIRED_AGENCIES: readonly StrategyAgency[] = ['council', 'police', 'health'];

/** The agencies Working Together expects that no participant came from. */
export function missingAgencies(participants: readonly { agency: StrategyAgency }[]): StrategyAgency[] {
  return REQUIRED_AGENCIES.filter((agency) => !participants.some((p) => p.agency === agency));
}

/** An enquiry that ends without a conference ends the wait for the child's ICPC: it is cancelled, not met. */
export function cancelsIcpc(outcome: Section47Outcome): boolean {
  return outcome !== 'icpc';
}
