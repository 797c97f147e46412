// wrangler and the vitest plugin import a .sql file as its text (their default module rules).
declare module "*.sql" {
  const text: string;
  export default text;
}
