"""The field-service desk (外出服务): dispatch, the technicians' field jobs and the back office."""
