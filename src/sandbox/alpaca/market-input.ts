// The body of POST /sandbox/api/market (and the simulator's /control/market): move a symbol by a
// percentage, set its price, open/close the market, assign a short option early, or close a spread
// by hand at Alpaca (outside the bot). Bad input is a message a person can act on.
import { z } from "zod";
import { OCC_PATTERN } from "../../domain/occ";

const OCC_EXAMPLE = "must be an OCC option symbol like SPY270219P00580000";

/** What the simulator can do to one contract the account holds; each goes alone (with `contracts`). */
const ON_A_CONTRACT = ["assign", "close_by_hand", "close_leg_by_hand"] as const;

const Input = z
  .object({
    symbol: z
      .string()
      .regex(/^[A-Z]{1,5}$/, "must be an upper-case ticker like SPY")
      .optional(),
    move_pct: z.number().gt(-90).lt(900).optional(),
    price: z.number().positive().max(1_000_000).optional(),
    open: z.boolean().optional(),
    /** An OCC symbol the account is short: its contracts are assigned now (an early assignment). */
    assign: z.string().regex(OCC_PATTERN, OCC_EXAMPLE).optional(),
    /**
     * The short leg of a spread the account holds: a person closes that spread at Alpaca's page,
     * outside the bot (one multi-leg order at the natural).
     */
    close_by_hand: z.string().regex(OCC_PATTERN, OCC_EXAMPLE).optional(),
    /** One leg the account holds, closed alone at Alpaca's page (bought back if short, sold if long) at the market's side. */
    close_leg_by_hand: z.string().regex(OCC_PATTERN, OCC_EXAMPLE).optional(),
    /** With one of the actions on a contract: how many contracts (default all). */
    contracts: z.number().int().positive().max(10_000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const given = ON_A_CONTRACT.filter((k) => b[k] !== undefined);
    const [action] = given;
    if (action && Object.keys(b).some((k) => k !== action && k !== "contracts"))
      ctx.addIssue({
        code: "custom",
        message: `${action} goes alone (with contracts, if only part), without a move, open or another action`,
      });
    if (b.contracts !== undefined && !action)
      ctx.addIssue({ code: "custom", message: `contracts goes with ${ON_A_CONTRACT.join(", ")}` });
  })
  .refine((b) => !(b.move_pct !== undefined && b.price !== undefined), "give either move_pct or price, not both")
  .refine((b) => (b.move_pct === undefined && b.price === undefined) || b.symbol !== undefined, "a move needs a symbol")
  .refine(
    (b) => b.symbol === undefined || b.move_pct !== undefined || b.price !== undefined,
    "a symbol needs move_pct or price",
  )
  .refine(
    (b) => b.symbol !== undefined || b.open !== undefined || ON_A_CONTRACT.some((k) => b[k] !== undefined),
    'expected {"symbol","move_pct"|"price"}, {"open"}, {"assign"}, {"close_by_hand"} or {"close_leg_by_hand"}',
  );

export type MarketInput = z.infer<typeof Input>;

export function parseMarketInput(body: unknown): { ok: true; value: MarketInput } | { ok: false; message: string } {
  const parsed = Input.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return { ok: false, message: `${where}${issue?.message ?? "invalid market move"}` };
}
