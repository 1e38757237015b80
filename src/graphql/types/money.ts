import { z } from 'zod';
import { builder } from '../builder.js';

/** ISO 4217 codes of the currencies in use, as the runtime's ICU data knows them. */
const currencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrencyCode = (code: string) =>
  /^[A-Za-z]{3}$/.test(code) && currencies.has(code.toUpperCase());

/** An ISO 4217 currency code in any letter case; stored upper case. */
export const currencyRule = z.string().refine(isCurrencyCode, 'is not an ISO 4217 currency code');

/** numeric(20,2): up to 18 digits before the point and 2 after. */
const decimalPattern = /^\d{1,18}(\.\d{1,2})?$/;

/** A non-negative decimal string such as "26200000000" or "1.5"; never a float, so no cent is lost. */
export const amountRule = z
  .string()
  .refine((value) => !value.startsWith('-'), 'must not be negative')
  .refine(
    (value) => value.startsWith('-') || decimalPattern.test(value),
    'must be a decimal number with at most 18 digits before the point and 2 after, e.g. "1650000000.00"',
  );

export interface MoneyShape {
  amount: string;
  currency: string;
}

export const Money = builder.objectRef<MoneyShape>('Money').implement({
  description: 'An amount of money in one currency.',
  fields: (t) => ({
    amount: t.exposeString('amount', {
      description:
        'Decimal string with two places, e.g. "26200000000.00" (a string, so no precision is lost).',
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 currency code, e.g. USD.' }),
  }),
});

export const MoneyInput = builder.inputType('MoneyInput', {
  description: 'An amount of money in one currency.',
  fields: (t) => ({
    amount: t.string({
      required: true,
      description: 'Non-negative decimal string with at most two places, e.g. "1650000000" or "19.99".',
      validate: { schema: amountRule },
    }),
    currency: t.string({
      required: true,
      description: 'ISO 4217 currency code, e.g. USD (any letter case).',
      validate: { schema: currencyRule },
    }),
  }),
});
