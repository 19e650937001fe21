"""After-sales (跟踪): follow-up calls, complaints and calls, warranty, the monthly report and manager approvals."""
