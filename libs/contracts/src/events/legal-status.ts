export const LEGAL_STATUSES = ['child-in-need', 'child-protection-plan', 'looked-after', 'plo'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];
