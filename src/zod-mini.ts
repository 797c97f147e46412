// zod for the Worker: the functional `zod/mini` build, a fraction of classic zod in the bundle
// (its schemas carry no methods, so esbuild drops what is not used). Unlike classic it loads no
// error messages; the English ones are set here once, so a ConfigError still reads
// "MAX_CONTRACTS Too big: expected number to be <=1000". Import it as `import * as z from
// "../zod-mini"` (a namespace import keeps tree shaking; a re-exported `z` object would not).
import { en } from "zod/locales";
import { config } from "zod/mini";

config(en());

export * from "zod/mini";
