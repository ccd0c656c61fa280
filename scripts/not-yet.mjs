// Placeholder for root scripts whose issue has not landed yet; prints and exits 0.
console.log(`pnpm ${process.argv[2]}: not yet — see the open issues.`);
