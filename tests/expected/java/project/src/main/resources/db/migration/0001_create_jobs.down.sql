-- Undoes 0001: the queue and every job in it are gone.
-- Serves factors V (build, release, run: the release process applies it) and XII (admin processes).
DROP TABLE jobs;
