// Loaded with `--require` (the programs' nodeargs): records the program process's peak RSS for the benchmark.
const file = process.env.BENCH_RSS_FILE;
if (file) process.on("exit", () => require("node:fs").writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
