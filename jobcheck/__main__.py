from jobcheck.cli import console_main

console_main()
