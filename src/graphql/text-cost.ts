/**
 * Response bytes one unit of operation cost stands for (src/http/operation-cost.ts): a
 * value costs 1, so the cost limit reads as a response size only if no value is much
 * longer than this.
 */
const bytesPerCostUnit = 100;

/**
 * `extensions` pricing a text field by the longest text its inputs accept, a character a
 * byte, so a page of 10,000-character notes costs what it weighs rather than one unit a
 * row. Text in other scripts than Latin weighs up to three times that in UTF-8; pricing
 * for it would refuse a full page of ordinary deals with their notes and descriptions.
 */
export const textCost = (maxLength: number) => ({ cost: Math.ceil(maxLength / bytesPerCostUnit) });

/** A field's own cost from its extensions, when it declares one. */
export const costOf = (extensions: Readonly<Record<string, unknown>> | null | undefined) =>
  typeof extensions?.cost === 'number' ? extensions.cost : undefined;
