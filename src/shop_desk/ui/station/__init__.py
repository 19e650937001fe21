"""The workshop station: the technician's, parts clerk's, team leader's, QC inspector's and washer's work on a job, and the advisor's workshop notices."""
