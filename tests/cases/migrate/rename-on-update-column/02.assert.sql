-- every UPDATE runs the on_update trigger, which must name the renamed column
UPDATE notes SET body = 'y';
