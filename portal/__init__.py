"""The web portal: public tracking, the forwarders' dashboard, operators' views."""
