-- The baseline: POST /bare (one INSERT + COMMIT).
dofile(os.getenv("HALLQ_WRK_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.path = "/bare"
done = report
