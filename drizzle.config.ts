import { defineConfig } from "drizzle-kit";

// drizzle-kit generates the SQL that wrangler applies: `out` is wrangler.toml's migrations_dir.
export default defineConfig({
  dialect: "sqlite",
  schema: "./drizzle/schema.ts",
  out: "./migrations",
});
