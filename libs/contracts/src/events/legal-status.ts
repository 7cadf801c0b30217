/**
 * The case-level status of the first release. Kept so v1 events and the legacy endpoint still read;
 * the law tracks children, so what services act on is each child's set of `ChildStatus`es.
 */
export const LEGAL_STATUSES = ['child-in-need', 'child-protection-plan', 'looked-after', 'plo'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

/**
 * What a child can be, several at once: a child on an interim care order is looked after *and* in
 * care proceedings. Cases owns the first three; `pre-proceedings` and `care-proceedings` are PLO's
 * fact, which cases records as a copy from PLO's legal-involvement events.
 */
export const CHILD_STATUSES = ['child-in-need', 'child-protection-plan', 'looked-after', 'pre-proceedings', 'care-proceedings'] as const;
export type ChildStatus = (typeof CHILD_STATUSES)[number];

/** The statuses the cases service records itself; the others follow PLO's events. */
export const CASES_OWNED_CHILD_STATUSES = ['child-in-need', 'child-protection-plan', 'looked-after'] as const;
export type CasesOwnedChildStatus = (typeof CASES_OWNED_CHILD_STATUSES)[number];

export const LEGAL_INVOLVEMENTS = ['pre-proceedings', 'care-proceedings'] as const;
export type LegalInvolvement = (typeof LEGAL_INVOLVEMENTS)[number];

/**
 * Why a looked-after child is looked after: accommodated under s.20 (Children Act 1989), an interim
 * care order (s.38), a care order (s.31), or a placement order (Adoption and Children Act 2002 s.21).
 */
export const LOOKED_AFTER_BASES = ['section-20', 'interim-care-order', 'care-order', 'placement-order'] as const;
export type LookedAfterBasis = (typeof LOOKED_AFTER_BASES)[number];

/** Orders a court makes for a child in care proceedings. Care and placement orders make the child looked after. */
export const CHILD_ORDERS = [
  'interim-care-order',
  'care-order',
  'interim-supervision-order',
  'supervision-order',
  'placement-order',
] as const;
export type ChildOrder = (typeof CHILD_ORDERS)[number];

/** The looked-after basis an order gives, or none (a supervision order does not make a child looked after). */
export const LOOKED_AFTER_BASIS_OF_ORDER: Record<ChildOrder, LookedAfterBasis | undefined> = {
  'interim-care-order': 'interim-care-order',
  'care-order': 'care-order',
  'placement-order': 'placement-order',
  'interim-supervision-order': undefined,
  'supervision-order': undefined,
};
