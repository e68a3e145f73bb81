-- CreateTable
CREATE TABLE "jobs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "job_key" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "run_at" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" DATETIME,
    "locked_by" TEXT,
    "last_error" TEXT,
    "done_at" DATETIME,
    "failed_at" DATETIME,
    "created_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "jobs_job_key_key" ON "jobs"("job_key");

-- CreateIndex
CREATE INDEX "jobs_done_at_run_at_idx" ON "jobs"("done_at", "run_at");

-- CreateIndex
CREATE INDEX "jobs_shop_idx" ON "jobs"("shop");

